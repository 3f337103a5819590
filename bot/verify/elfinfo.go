package verify

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"strings"
)

// elfInfo is what the loader checks need from one ELF file. It is read with
// debug/elf from the image spool; a malformed file yields an error, never a
// panic (debug/elf is hardened, and readELF recovers anyway: the input is
// whatever a pull request put into its image).
type elfInfo struct {
	Class   elf.Class
	Machine elf.Machine
	Type    elf.Type
	Interp  string   // PT_INTERP, "" when absent
	Needed  []string // DT_NEEDED in order
	RPath   []string // DT_RPATH entries (colon lists split)
	RunPath []string // DT_RUNPATH entries
	SOName  string
	// HasDynamic is true when a PT_DYNAMIC segment exists. With no dynamic
	// section header alongside it (a section-stripped file) the dynamic
	// entries cannot be read and NoDynSection is set.
	HasDynamic   bool
	NoDynSection bool
	VerNeeds     []elf.DynamicVersionNeed
	VerDefs      map[string]bool
}

// isStatic reports a file the kernel runs without a loader.
func (e *elfInfo) isStatic() bool { return e.Interp == "" }

// kind renders "ELF, static" / "ELF, dynamic" / "ELF, static-pie" for details.
func (e *elfInfo) kind() string {
	switch {
	case e.Interp != "":
		return "ELF, dynamic"
	case e.Type == elf.ET_DYN && e.HasDynamic:
		return "ELF, static-pie"
	}
	return "ELF, static"
}

const maxInterpLen = 4096

func readELF(r io.ReaderAt) (info *elfInfo, err error) {
	defer func() {
		if p := recover(); p != nil {
			info, err = nil, fmt.Errorf("malformed ELF (parser panic: %v)", p)
		}
	}()
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("malformed ELF: %w", err)
	}
	defer f.Close()
	info = &elfInfo{Class: f.Class, Machine: f.Machine, Type: f.Type}
	for _, p := range f.Progs {
		switch p.Type {
		case elf.PT_INTERP:
			if p.Filesz == 0 || p.Filesz > maxInterpLen {
				return nil, fmt.Errorf("malformed ELF: PT_INTERP of %d bytes", p.Filesz)
			}
			buf := make([]byte, p.Filesz)
			if _, err := io.ReadFull(p.Open(), buf); err != nil {
				return nil, fmt.Errorf("malformed ELF: reading PT_INTERP: %w", err)
			}
			info.Interp = string(bytes.TrimRight(buf, "\x00"))
		case elf.PT_DYNAMIC:
			info.HasDynamic = true
		}
	}
	if info.HasDynamic && f.SectionByType(elf.SHT_DYNAMIC) == nil {
		info.NoDynSection = true
		return info, nil
	}
	if info.Needed, err = f.DynString(elf.DT_NEEDED); err != nil {
		return nil, fmt.Errorf("malformed ELF: DT_NEEDED: %w", err)
	}
	for _, t := range []struct {
		tag elf.DynTag
		dst *[]string
	}{{elf.DT_RPATH, &info.RPath}, {elf.DT_RUNPATH, &info.RunPath}} {
		vals, err := f.DynString(t.tag)
		if err != nil {
			return nil, fmt.Errorf("malformed ELF: %v: %w", t.tag, err)
		}
		for _, v := range vals {
			*t.dst = append(*t.dst, strings.Split(v, ":")...)
		}
	}
	if so, err := f.DynString(elf.DT_SONAME); err == nil && len(so) > 0 {
		info.SOName = so[0]
	}
	// Version tables are optional; their absence (or ErrNoSymbols for a file
	// without .dynsym) means "no versioned needs", not a malformed file.
	if needs, err := f.DynamicVersionNeeds(); err == nil {
		info.VerNeeds = needs
	} else if !isNoVersionInfo(err) {
		return nil, fmt.Errorf("malformed ELF: version needs: %w", err)
	}
	if defs, err := f.DynamicVersions(); err == nil {
		info.VerDefs = map[string]bool{}
		for _, d := range defs {
			info.VerDefs[d.Name] = true
		}
	} else if !isNoVersionInfo(err) {
		return nil, fmt.Errorf("malformed ELF: version definitions: %w", err)
	}
	return info, nil
}

func isNoVersionInfo(err error) bool {
	return errors.Is(err, elf.ErrNoSymbols) || strings.Contains(err.Error(), "missing version table")
}

// elfArch maps an ELF machine to the GOARCH-style name used by platforms,
// and the Debian multiarch triplet for the loader's default directories.
func elfArch(m elf.Machine) (arch, triplet string) {
	switch m {
	case elf.EM_X86_64:
		return "amd64", "x86_64-linux-gnu"
	case elf.EM_AARCH64:
		return "arm64", "aarch64-linux-gnu"
	case elf.EM_ARM:
		return "arm", "arm-linux-gnueabihf"
	case elf.EM_386:
		return "386", "i386-linux-gnu"
	case elf.EM_S390:
		return "s390x", "s390x-linux-gnu"
	case elf.EM_PPC64:
		return "ppc64le", "powerpc64le-linux-gnu"
	case elf.EM_RISCV:
		return "riscv64", "riscv64-linux-gnu"
	}
	return strings.ToLower(strings.TrimPrefix(m.String(), "EM_")), ""
}

// platformString names the ELF platform substituted for $PLATFORM.
func platformString(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "x86_64"
	case elf.EM_AARCH64:
		return "aarch64"
	case elf.EM_386:
		return "i686"
	}
	a, _ := elfArch(m)
	return a
}
