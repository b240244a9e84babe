package webdav

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// Limits of request XML: documents nest at most maxXMLDepth elements and hold
// at most maxXMLElements, on top of maxXMLBody bytes.
const (
	maxXMLDepth    = 64
	maxXMLElements = 20000
)

// xmlDoc is a parsed request body: its root element.
type xmlDoc = xmlElem

// xmlElem is an element of a request body with its namespaces resolved.
type xmlElem struct {
	Name     xml.Name
	Attr     []xml.Attr
	Children []*xmlElem
	// content is the element's children in order: *xmlElem or string
	// (character data), for writing dead property values back.
	content []any
}

// child returns the first child named n, or nil.
func (e *xmlElem) child(n xml.Name) *xmlElem {
	for _, c := range e.Children {
		if c.Name == n {
			return c
		}
	}
	return nil
}

// text returns the element's character data, trimmed.
func (e *xmlElem) text() string {
	var b strings.Builder
	for _, c := range e.content {
		if s, ok := c.(string); ok {
			b.WriteString(s)
		}
	}
	return strings.TrimSpace(b.String())
}

// lang returns the xml:lang attribute.
func (e *xmlElem) lang() string {
	for _, a := range e.Attr {
		if (a.Name.Space == xmlNamespace || a.Name.Space == "xml") && a.Name.Local == "lang" {
			return a.Value
		}
	}
	return ""
}

// xmlNamespace is the namespace of the xml: prefix.
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

var (
	errXMLDoctype = errors.New("DTDs are not accepted")
	errXMLDepth   = errors.New("elements nested too deeply")
	errXMLSize    = errors.New("too many elements")
	errXMLNS      = errors.New("a namespace prefix is bound to the empty name")
)

// parseXML parses body into its root element. DTDs are refused (no entity
// can be declared, so none can expand), as are documents nesting deeper than
// maxXMLDepth or holding more than maxXMLElements elements.
func parseXML(body []byte) (*xmlElem, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var (
		stack []*xmlElem
		root  *xmlElem
		count int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, errXMLDoctype
		case xml.StartElement:
			count++
			if count > maxXMLElements {
				return nil, errXMLSize
			}
			if len(stack) >= maxXMLDepth {
				return nil, errXMLDepth
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" && a.Value == "" {
					return nil, errXMLNS
				}
			}
			e := &xmlElem{Name: t.Name, Attr: t.Copy().Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, e)
				p.content = append(p.content, e)
			} else if root != nil {
				return nil, errors.New("more than one root element")
			} else {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.content = append(p.content, string(t))
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// innerXML writes e's content back as self-contained XML: every element
// declares its own namespace, and prefixed attributes theirs, so the value
// means the same wherever it is pasted.
func (e *xmlElem) innerXML() string {
	var b strings.Builder
	for _, c := range e.content {
		writeNode(&b, c)
	}
	return b.String()
}

func writeNode(b *strings.Builder, n any) {
	switch n := n.(type) {
	case string:
		xml.EscapeText(b, []byte(n))
	case *xmlElem:
		b.WriteByte('<')
		b.WriteString(n.Name.Local)
		b.WriteString(` xmlns="`)
		xml.EscapeText(b, []byte(n.Name.Space))
		b.WriteByte('"')
		k := 0
		for _, a := range n.Attr {
			if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
				continue // namespaces are re-declared above
			}
			b.WriteByte(' ')
			if a.Name.Space == xmlNamespace || a.Name.Space == "xml" {
				b.WriteString("xml:")
			} else if a.Name.Space != "" {
				k++
				prefix := "a" + string(rune('0'+k%10))
				b.WriteString("xmlns:" + prefix + `="`)
				xml.EscapeText(b, []byte(a.Name.Space))
				b.WriteString(`" ` + prefix + ":")
			}
			b.WriteString(a.Name.Local)
			b.WriteString(`="`)
			xml.EscapeText(b, []byte(a.Value))
			b.WriteByte('"')
		}
		b.WriteByte('>')
		for _, c := range n.content {
			writeNode(b, c)
		}
		b.WriteString("</")
		b.WriteString(n.Name.Local)
		b.WriteByte('>')
	}
}
