package imports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// A sheet is one table of a file (a CSV file has one, an .xlsx file one per worksheet),
// read row by row as it streams: the whole file is never held in memory.
type sheet struct {
	name string // the worksheet's name; for a CSV file, the file's name without its extension
	// encoding of a CSV file: "UTF-8", "UTF-8 BOM" or "GB18030"
	encoding string
	next     func() ([]string, error) // io.EOF after the last row
}

// Encodings of CSV files.
const (
	encUTF8    = "UTF-8"
	encUTF8BOM = "UTF-8 BOM"
	encGB18030 = "GB18030"
)

var errNotTable = errors.New("not a table")

// books keeps the workbooks of an import open across its passes: opening one reads its
// shared strings, which every pass over every sheet would otherwise read again.
type books map[string]*excelize.File

func (b books) close() {
	for _, wb := range b {
		wb.Close()
	}
}

// eachSheet calls fn with every sheet of the file at path, in order, or with the one
// named only (when only is not ""). A file is an .xlsx workbook when it starts as a zip
// archive does, a CSV file otherwise.
func (b books) eachSheet(path, only string, fn func(s *sheet) error) error {
	if wb, ok := b[path]; ok {
		return eachWorksheet(wb, only, fn)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if n == 4 && bytes.Equal(head, []byte("PK\x03\x04")) {
		wb, err := excelize.OpenReader(f, excelize.Options{RawCellValue: true})
		if err != nil {
			return fmt.Errorf("无法读取Excel文件 (cannot read the workbook): %w", err)
		}
		b[path] = wb
		return eachWorksheet(wb, only, fn)
	}
	s, err := csvSheet(f, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	if err != nil {
		return err
	}
	return fn(s)
}

// csvSheet reads a CSV file in UTF-8 (with or without a byte order mark) or GB18030: a file
// whose first 64 KiB are not valid UTF-8 is GB18030 (GBK and GB2312 are subsets of it).
// The separator is a comma, or a tab or semicolon when the first line has more of those.
func csvSheet(r io.Reader, name string) (*sheet, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	peek, _ := br.Peek(64 << 10)
	s := &sheet{name: name, encoding: encUTF8}
	var in io.Reader = br
	switch {
	case bytes.HasPrefix(peek, []byte{0xEF, 0xBB, 0xBF}):
		s.encoding = encUTF8BOM
		_, _ = br.Discard(3)
	case bytes.HasPrefix(peek, []byte{0xFF, 0xFE}) || bytes.HasPrefix(peek, []byte{0xFE, 0xFF}):
		return nil, fmt.Errorf("文件为UTF-16编码，请另存为UTF-8或GB18030 (the file is UTF-16; save it as UTF-8 or GB18030)")
	case !validUTF8Prefix(peek, len(peek) < 64<<10):
		s.encoding = encGB18030
		in = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	first := peek
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	if t, c, sc := bytes.Count(first, []byte{'\t'}), bytes.Count(first, []byte{','}), bytes.Count(first, []byte{';'}); t > c && t >= sc {
		cr.Comma = '\t'
	} else if sc > c {
		cr.Comma = ';'
	}
	s.next = func() ([]string, error) {
		rec, err := cr.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("第%d行无法解析 (line %d cannot be read): %v", pe.Line, pe.Line, pe.Err)
			}
			return nil, err
		}
		return rec, nil
	}
	return s, nil
}

// validUTF8Prefix reports whether b, the first bytes of a file (all of it when whole), is
// valid UTF-8, allowing a rune cut at its end.
func validUTF8Prefix(b []byte, whole bool) bool {
	if whole {
		return utf8.Valid(b)
	}
	for i := 0; i < utf8.UTFMax && i < len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) {
			return true
		}
	}
	return false
}

// eachWorksheet streams the rows of every worksheet of a workbook, or of the one named
// only (excelize's row iterator reads the sheet's XML as it goes). Cells are read raw, so
// that a date is its serial day whatever format shows it.
func eachWorksheet(wb *excelize.File, only string, fn func(s *sheet) error) error {
	for _, name := range wb.GetSheetList() {
		if only != "" && name != only {
			continue
		}
		rows, err := wb.Rows(name)
		if err != nil {
			return fmt.Errorf("worksheet %s: %w", name, err)
		}
		s := &sheet{name: name, next: func() ([]string, error) {
			if !rows.Next() {
				if err := rows.Error(); err != nil {
					return nil, err
				}
				return nil, io.EOF
			}
			return rows.Columns(excelize.Options{RawCellValue: true})
		}}
		err = fn(s)
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
