package java

import (
	"os"
	"testing"
)

func TestParsePom(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../../testdata/convert/java/single-stage-java-opts/context/pom.xml")
	if err != nil {
		t.Fatal(err)
	}
	p := parsePom(b, "")
	if p == nil || !p.Known || p.Target != "21" || !p.SpringBoot {
		t.Fatalf("pom = %+v", p)
	}
	if got := archiveNames(p.match("*.jar")); got != "orders-service.jar" {
		t.Errorf("*.jar matches %q", got)
	}
}
