package baseimages

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"unicode/utf16"
)

// javaTrustStore encodes certificates as a JKS keystore of trusted-certificate
// entries protected by the conventional password "changeit".
//
// Debian generates /etc/ssl/certs/java/cacerts in ca-certificates-java's
// postinst by running Java; distroless images have no postinst and ship the
// generated file. We cannot run Java at image-assembly time, so we write the
// (simple, documented) JKS format directly; every JDK still reads JKS
// cacerts (keystore.type.compat).
func javaTrustStore(certs map[string][]byte, order []string) ([]byte, error) {
	var body bytes.Buffer
	w := func(v any) { _ = binary.Write(&body, binary.BigEndian, v) }
	writeUTF := func(s string) error {
		if len(s) > 0xffff {
			return fmt.Errorf("alias too long")
		}
		w(uint16(len(s)))
		body.WriteString(s) // aliases are ASCII, where modified UTF-8 equals UTF-8
		return nil
	}
	w(uint32(0xfeedfeed))
	w(uint32(2))
	w(uint32(len(order)))
	for _, alias := range order {
		der := certs[alias]
		w(uint32(2)) // trusted certificate entry
		if err := writeUTF(alias); err != nil {
			return nil, err
		}
		w(int64(epoch.UnixMilli()))
		if err := writeUTF("X.509"); err != nil {
			return nil, err
		}
		w(uint32(len(der)))
		body.Write(der)
	}
	h := sha1.New()
	for _, c := range utf16.Encode([]rune("changeit")) {
		_ = binary.Write(h, binary.BigEndian, c)
	}
	h.Write([]byte("Mighty Aphrodite"))
	h.Write(body.Bytes())
	body.Write(h.Sum(nil))
	return body.Bytes(), nil
}

// pemCertificates returns the DER bytes of every CERTIFICATE block in data.
func pemCertificates(data []byte) [][]byte {
	var out [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out
		}
		if b.Type == "CERTIFICATE" {
			out = append(out, b.Bytes)
		}
	}
}
