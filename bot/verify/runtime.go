package verify

// checkRuntime compares the program the command runs with the runtime
// family the proposal promised: a static image needs a statically linked
// program, python3/nodejs/java images need their interpreter to be what
// runs.
func (in *inspection) checkRuntime(ch *commandChain) {
	want := in.exp.Runtime
	subject := string(want)
	prog := ch.program()
	if prog == nil {
		in.add("runtime", Unknown, subject, "the command does not resolve to a program (see the command check), so the %s runtime cannot be matched", want)
		return
	}
	what := prog.res.chain()
	if ch.ok {
		what += " (" + describeStep(prog) + ")"
	}
	switch want {
	case RuntimeStatic:
		switch {
		case !ch.ok:
			in.add("runtime", Unknown, subject, "the command does not resolve to a program (see the command check)")
		case prog.elf.isStatic():
			in.add("runtime", Pass, subject, "the static runtime has no libc and %s needs none", what)
		default:
			in.add("runtime", Fail, subject, "the static runtime has no libc, but the command runs %s, which needs the loader %s", what, prog.elf.Interp)
		}
	case RuntimeBase, RuntimeCC:
		if ch.ok {
			in.add("runtime", Pass, subject, "the command runs %s; its libraries are checked by elf-libraries", what)
		} else {
			in.add("runtime", Unknown, subject, "the command does not resolve to a program (see the command check)")
		}
	default:
		lang := map[Runtime]language{RuntimePython3: langPython, RuntimeNodeJS: langNode, RuntimeJava: langJava}[want]
		got := languageOf(prog)
		if got == lang {
			in.add("runtime", Pass, subject, "the command runs %s: %s", lang, what)
		} else {
			in.add("runtime", Fail, subject, "the %s runtime runs %s, but the command runs %s (%s)", want, lang, what, got)
		}
	}
}
