package locales

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// pluralOrder is the CLDR order of plural forms.
var pluralOrder = []string{"zero", "one", "two", "few", "many", "other"}

// ParseTexts reads one message file, such as an earlier da.toml from the history, as the
// translation marks see it: one text per message ID, a plural message's forms one a line, each
// after its CLDR name ("one: …").
func ParseTexts(data []byte, lang string) (map[string]string, error) {
	bundle := i18n.NewBundle(language.Danish)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	mf, err := bundle.ParseMessageFileBytes(data, lang+".toml")
	if err != nil {
		return nil, fmt.Errorf("locales: %s: %w", lang, err)
	}
	out := make(map[string]string, len(mf.Messages))
	for _, m := range mf.Messages {
		out[m.ID] = text(m)
	}
	return out, nil
}

func text(m *i18n.Message) string {
	forms := pluralForms(m)
	if len(forms) == 1 && forms["other"] != "" {
		return forms["other"]
	}
	var lines []string
	for _, f := range pluralOrder {
		if forms[f] != "" {
			lines = append(lines, f+": "+forms[f])
		}
	}
	return strings.Join(lines, "\n")
}

// texts returns every message of lang in ParseTexts' form, by message ID.
func (b *Bundle) texts(lang string) map[string]string {
	out := make(map[string]string, len(b.messages[lang]))
	for id, m := range b.messages[lang] {
		out[id] = text(m)
	}
	return out
}
