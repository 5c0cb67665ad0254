package demo

import (
	"math"
	"strings"
	"time"

	"cobuild"
)

// Generic population of one copy: the district's enterprises and social organisations
// beyond the named ones.
const (
	genericEnterprises = 14673 - 3 // 立讯精密, 美诺华药业, 宣酒 are named
	genericSocial      = 313 - 1   // 宣城仁杰医院 is named
	genericHospitals   = 11        // private hospitals among the generic social organisations
	forcedLeadingAbove = 103       // above-scale firms of the leading industries per copy: 96 members + 7 in neither
	leadingMembers     = 96
)

// Size bands: micro, small, medium, large.
var (
	bandWeightsEnterprise = []float64{68, 27, 3.5, 1.5}
	bandWeightsSocial     = []float64{55, 42, 3, 0}
	zeroMembersP          = [4]float64{0.85, 0.60, 0.12, 0.04}
	aboveScaleP           = [4]float64{0, 0.015, 0.40, 0.85}
)

func bandOf(headcount int) int {
	switch cobuild.SizeBandOf(headcount) {
	case cobuild.SizeMicro:
		return 0
	case cobuild.SizeSmall:
		return 1
	case cobuild.SizeMedium:
		return 2
	}
	return 3
}

func (g *gen) headcount(band int) int {
	switch band {
	case 0:
		return min(9, 1+int(9*math.Pow(g.rng.Float64(), 1.6)))
	case 1:
		return g.logUniform(10, 99)
	case 2:
		return g.logUniform(100, 299)
	}
	return int(math.Min(5000, 300*math.Pow(1-g.rng.Float64(), -1/1.6)))
}

func (g *gen) partyMembers(headcount int) int {
	if g.chance(zeroMembersP[bandOf(headcount)]) {
		return 0
	}
	return min(headcount, 1+g.geom(math.Max(0.3, 0.045*float64(headcount))))
}

// registered returns a registration day an exponential number of years (of the given mean)
// before 2023-06-30, not before floor.
func (g *gen) registered(meanYears float64, floor time.Time) time.Time {
	d := lastReg.AddDate(0, 0, -int(g.rng.ExpFloat64()*meanYears*365.25))
	return later(d, floor)
}

// placeOrg puts an organisation into a park (with probability parkP), a town (townShare of
// the rest) or a subdistrict, and into a community.
func (g *gen) placeOrg(o *org, parkP, townShare, townCommunityP float64) {
	o.park, o.comm = -1, -1
	if g.chance(parkP) {
		k := g.pickW([]float64{parkTable[0].weight, parkTable[1].weight})
		o.park, o.area = int8(k), int16(g.parkHost[k])
		return
	}
	if g.chance(townShare) {
		a := g.towns[g.pickW(g.townWeights())]
		o.area = int16(a)
		if cs := g.areas[a].communities; len(cs) > 0 && g.chance(townCommunityP) {
			o.comm = int32(cs[g.rng.IntN(len(cs))])
		}
		return
	}
	a := g.subdistricts[g.pickW(g.subdistrictWeights())]
	o.area = int16(a)
	cs := g.areas[a].communities
	o.comm = int32(cs[g.rng.IntN(len(cs))])
}

func (g *gen) townWeights() []float64 {
	if g.townW == nil {
		for _, a := range g.towns {
			g.townW = append(g.townW, g.areas[a].weight)
		}
	}
	return g.townW
}

func (g *gen) subdistrictWeights() []float64 {
	if g.subW == nil {
		for _, a := range g.subdistricts {
			g.subW = append(g.subW, g.areas[a].weight)
		}
	}
	return g.subW
}

func (g *gen) tradeName(n int) string {
	var b strings.Builder
	prev := -1
	for j := 0; j < n; j++ {
		x := g.rng.IntN(len(tradeChars))
		if x == prev {
			x = (x + 1 + g.rng.IntN(len(tradeChars)-1)) % len(tradeChars)
		}
		b.WriteString(tradeChars[x])
		prev = x
	}
	return b.String()
}

func (g *gen) firmName(ind int, big bool) string {
	words := g.industries[ind].words
	for try := 0; ; try++ {
		n := 2
		if try >= 8 {
			n = 3
		}
		suffix := firmSuffixes[g.rng.IntN(len(firmSuffixes))]
		if big && g.chance(0.3) {
			suffix = "股份有限公司"
		}
		name := firmPrefixes[g.rng.IntN(len(firmPrefixes))] + g.tradeName(n) + words[g.rng.IntN(len(words))] + suffix
		if _, used := g.names[name]; !used {
			return name
		}
	}
}

func (g *gen) socialName(hospital bool) (string, bool, bool) {
	for try := 0; ; try++ {
		n := 2
		if try >= 8 {
			n = 3
		}
		var name string
		assoc, edu := false, false
		if hospital {
			name = []string{"宣城", "宣州"}[g.rng.IntN(2)] + g.tradeName(n) + hospitalSuffixes[g.rng.IntN(len(hospitalSuffixes))]
		} else {
			t := socialTypes[g.rng.IntN(len(socialTypes))]
			assoc, edu = t.assoc, t.edu
			name = []string{"宣州区", "宣城市"}[g.rng.IntN(2)] + g.tradeName(n) + t.suffix
		}
		if _, used := g.names[name]; !used {
			return name, assoc, edu
		}
	}
}

func (g *gen) buildPopulation(c int) {
	start := len(g.orgs)
	forced := make([]bool, genericEnterprises)
	for _, k := range g.rng.Perm(genericEnterprises)[:forcedLeadingAbove] {
		forced[k] = true
	}
	entWeights := make([]float64, len(g.industries))
	for i, in := range g.industries {
		entWeights[i] = in.weight
	}
	var forcedList []int
	for k := 0; k < genericEnterprises; k++ {
		i := g.genericEnterprise(c, forced[k], entWeights)
		if forced[k] {
			forcedList = append(forcedList, i)
		}
	}
	g.forced = append(g.forced, forcedList)
	for k := 0; k < genericSocial; k++ {
		g.genericSocial(c, k%(genericSocial/genericHospitals) == 0 && k/(genericSocial/genericHospitals) < genericHospitals)
	}
	g.copyRange = append(g.copyRange, [2]int{start, len(g.orgs)})
}

func (g *gen) genericEnterprise(c int, forced bool, entWeights []float64) int {
	o := org{kind: cobuild.OrgEnterprise, copy: int32(c)}
	var band int
	if forced {
		o.ind = int8(g.rng.IntN(3))
		band = 3
		if g.chance(0.6) {
			band = 2
		}
		o.above = true
	} else {
		o.ind = int8(g.pickW(entWeights))
		band = g.pickW(bandWeightsEnterprise)
		leading := g.industries[o.ind].leading
		if leading && band == 3 {
			band = 2
		}
		o.above = !leading && g.chance(aboveScaleP[band])
	}
	hc := g.headcount(band)
	o.headcount = int32(hc)
	o.members = int32(g.partyMembers(hc))
	o.operating = g.chance(0.92)
	mean := 7.0
	if o.above {
		o.operating = g.chance(0.99)
		mean = 12
	} else if band == 3 || o.members >= 3 {
		mean = 10
	}
	o.registered = g.registered(mean, day(1992, 1, 1))
	parkP := 0.08
	if forced {
		parkP = 0.7
	} else if g.industries[o.ind].manufacturing {
		parkP = 0.45
	}
	g.placeOrg(&o, parkP, 0.375, 0.4)
	o.name = g.firmName(int(o.ind), o.above || band >= 2)
	return g.addManaged(o, '9', '1')
}

func (g *gen) genericSocial(c int, hospital bool) int {
	o := org{kind: cobuild.OrgSocial, copy: int32(c)}
	name, assoc, edu := g.socialName(hospital)
	o.name = name
	var hc int
	switch {
	case hospital:
		o.kind = cobuild.OrgHospital
		o.ind = indHealth
		hc = g.logUniform(30, 400)
	case edu:
		o.ind = indEdu
		hc = g.headcount(g.pickW(bandWeightsSocial))
	default:
		o.ind = indSocial
		hc = g.headcount(g.pickW(bandWeightsSocial))
	}
	o.headcount = int32(hc)
	o.members = int32(g.partyMembers(hc))
	o.operating = g.chance(0.92)
	mean := 8.0
	if o.members >= 3 {
		mean = 10
	}
	o.registered = g.registered(mean, day(1995, 1, 1))
	g.placeOrg(&o, 0, 0.35, 0.5)
	category := byte('2')
	if assoc {
		category = '1'
	}
	return g.addManaged(o, '5', category)
}
