package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// errContextRefused marks a build context over Options.ContextLimits or
// holding special files: a property of the repository, reported as a
// Skipped verdict, not an error.
var errContextRefused = errors.New("build context refused")

// checkContextDir walks the context without following symlinks and refuses
// it before anything is sent to BuildKit when it has too many entries, too
// many bytes, or special files (a FIFO could stall the file sync). The
// .dockerignore file is not applied: the limit is on the directory as
// given, which only over-counts.
func checkContextDir(dir string, lim ExtractLimits) (files int, bytes int64, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		files++
		if files > lim.MaxFiles {
			return fmt.Errorf("%w: more than %d files", errContextRefused, lim.MaxFiles)
		}
		switch t := d.Type(); {
		case t.IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			bytes += info.Size()
			if bytes > lim.MaxBytes {
				return fmt.Errorf("%w: more than %d bytes", errContextRefused, lim.MaxBytes)
			}
		case t.IsDir(), t&fs.ModeSymlink != 0:
		default:
			rel, _ := filepath.Rel(dir, p)
			return fmt.Errorf("%w: %s is a special file (%v)", errContextRefused, rel, t)
		}
		return nil
	})
	return files, bytes, err
}
