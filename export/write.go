package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"cobuild"
)

// Format is the format of an export file.
type Format string

// The formats of export files.
const (
	// XLSX is an Excel workbook of one sheet, SheetName: a bold, frozen header row, then
	// one row per item; numbers are numbers, every other cell is text.
	XLSX Format = "xlsx"
	// CSV is RFC 4180 CSV in UTF-8 with a byte-order mark and CRLF line ends, which Excel
	// opens as UTF-8; a text cell that would start a formula (=, +, -, @, tab, CR) is
	// written after a single quote, as the dashboard's own CSV does.
	CSV Format = "csv"
)

// SheetName is the name of the sheet of an .xlsx export.
const SheetName = "数据"

// BOM is the UTF-8 byte-order mark that starts a CSV export.
const BOM = "\uFEFF"

// ParseFormat reads a format's name; "" is XLSX; anything else is BAD_USER_INPUT.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "xlsx":
		return XLSX, nil
	case "csv":
		return CSV, nil
	}
	return "", &cobuild.Error{Code: cobuild.EINVALID,
		Message:    fmt.Sprintf("不支持的导出格式 %q，可选 xlsx 或 csv。Unknown export format %q; use xlsx or csv.", s, s),
		Extensions: map[string]any{"field": "format"}}
}

// ContentType is the media type of a format.
func (f Format) ContentType() string {
	if f == CSV {
		return "text/csv; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// Writer writes a table: its header once, then its rows, page by page; Close finishes the
// file. An .xlsx is written to its io.Writer only at Close; a CSV as it goes.
type Writer interface {
	Header(headers []string) error
	Rows(rows [][]any) error
	Close() error
}

// NewWriter returns a writer of the format onto w.
func NewWriter(f Format, w io.Writer) (Writer, error) {
	switch f {
	case CSV:
		return newCSV(w), nil
	case XLSX:
		return newXLSX(w)
	}
	return nil, fmt.Errorf("unknown export format %q", f)
}

type csvWriter struct {
	buf *bufio.Writer
	w   *csv.Writer
	row []string
}

func newCSV(w io.Writer) *csvWriter {
	buf := bufio.NewWriterSize(w, 64<<10)
	c := csv.NewWriter(buf)
	c.UseCRLF = true
	return &csvWriter{buf: buf, w: c}
}

func (c *csvWriter) Header(headers []string) error {
	if _, err := c.buf.WriteString(BOM); err != nil {
		return err
	}
	return c.w.Write(headers)
}

func (c *csvWriter) Rows(rows [][]any) error {
	for _, r := range rows {
		c.row = c.row[:0]
		for _, v := range r {
			s := Text(v)
			if _, ok := v.(string); ok && s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
				s = "'" + s
			}
			c.row = append(c.row, s)
		}
		if err := c.w.Write(c.row); err != nil {
			return err
		}
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

type xlsxWriter struct {
	out  io.Writer
	file *excelize.File
	sw   *excelize.StreamWriter
	next int
}

func newXLSX(w io.Writer) (*xlsxWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return nil, fmt.Errorf("name the sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return nil, fmt.Errorf("open the sheet: %w", err)
	}
	return &xlsxWriter{out: w, file: f, sw: sw, next: 1}, nil
}

func (x *xlsxWriter) Header(headers []string) error {
	// Widths and panes must come before the first row of a stream.
	for i, h := range headers {
		width := float64(max(10, 2*utf8.RuneCountInString(h)+2))
		if err := x.sw.SetColWidth(i+1, i+1, min(width, 40)); err != nil {
			return err
		}
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	bold, err := x.file.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	row := make([]any, len(headers))
	for i, h := range headers {
		row[i] = h
	}
	return x.setRow(row, excelize.RowOpts{StyleID: bold})
}

func (x *xlsxWriter) Rows(rows [][]any) error {
	for _, r := range rows {
		if err := x.setRow(r); err != nil {
			return err
		}
	}
	return nil
}

func (x *xlsxWriter) setRow(r []any, opts ...excelize.RowOpts) error {
	cell, err := excelize.CoordinatesToCellName(1, x.next)
	if err != nil {
		return err
	}
	x.next++
	return x.sw.SetRow(cell, r, opts...)
}

func (x *xlsxWriter) Close() error {
	defer x.file.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("finish the sheet: %w", err)
	}
	if err := x.file.Write(x.out); err != nil {
		return fmt.Errorf("write the workbook: %w", err)
	}
	return nil
}
