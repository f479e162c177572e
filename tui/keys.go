package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap declares every key once; views enable the ones that apply.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextCell, PrevCell                      key.Binding
	NextParam, PrevParam                    key.Binding
	Inc, Dec, Edit, Reset                   key.Binding
	Run, RunAll, Pin, ClearPins             key.Binding
	Open, Back, Lang, Help, Quit            key.Binding
	Confirm, Cancel                         key.Binding
}

// keyHelp is each binding's short description, per language.
var keyHelp = map[string]map[string]string{
	"en": {
		"up": "up", "down": "down", "pgup": "page up", "pgdn": "page down", "top": "top", "bottom": "bottom",
		"next_cell": "next cell", "prev_cell": "prev cell", "next_param": "next param", "prev_param": "prev param",
		"inc": "increase", "dec": "decrease", "edit": "type value", "reset": "lesson values",
		"run": "run cell", "run_all": "run all", "pin": "pin run", "clear_pins": "clear pins",
		"open": "open", "back": "lessons", "lang": "한국어", "help": "help", "quit": "quit",
		"confirm": "accept", "cancel": "cancel",
	},
	"ko": {
		"up": "위로", "down": "아래로", "pgup": "이전 쪽", "pgdn": "다음 쪽", "top": "맨 위", "bottom": "맨 아래",
		"next_cell": "다음 셀", "prev_cell": "이전 셀", "next_param": "다음 파라미터", "prev_param": "이전 파라미터",
		"inc": "키우기", "dec": "줄이기", "edit": "직접 입력", "reset": "레슨 값으로",
		"run": "실행", "run_all": "모두 실행", "pin": "고정", "clear_pins": "고정 지우기",
		"open": "열기", "back": "레슨 목록", "lang": "English", "help": "도움말", "quit": "종료",
		"confirm": "확인", "cancel": "취소",
	},
}

// DefaultKeyMap is nnlab's keys, described in lang.
func DefaultKeyMap(lang string) KeyMap {
	words := keyHelp[lang]
	if words == nil {
		words = keyHelp["en"]
	}
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, words[desc]))
	}
	return KeyMap{
		Up:        b("↑/k", "up", "up", "k"),
		Down:      b("↓/j", "down", "down", "j"),
		PageUp:    b("pgup/b", "pgup", "pgup", "b"),
		PageDown:  b("pgdn/spc", "pgdn", "pgdown", " ", "f"),
		Top:       b("g", "top", "g", "home"),
		Bottom:    b("G", "bottom", "G", "end"),
		NextCell:  b("tab", "next_cell", "tab"),
		PrevCell:  b("S-tab", "prev_cell", "shift+tab"),
		NextParam: b("→/l", "next_param", "right", "l"),
		PrevParam: b("←/h", "prev_param", "left", "h"),
		Inc:       b("+", "inc", "+", "="),
		Dec:       b("-", "dec", "-", "_"),
		Edit:      b("e", "edit", "e"),
		Reset:     b("x", "reset", "x"),
		Run:       b("enter/r", "run", "enter", "r"),
		RunAll:    b("R", "run_all", "R"),
		Pin:       b("p", "pin", "p"),
		ClearPins: b("P", "clear_pins", "P"),
		Open:      b("enter", "open", "enter"),
		Back:      b("esc", "back", "esc", "backspace"),
		Lang:      b("L", "lang", "L"),
		Help:      b("?", "help", "?"),
		Quit:      b("q", "quit", "q", "ctrl+c"),
		Confirm:   b("enter", "confirm", "enter"),
		Cancel:    b("esc", "cancel", "esc"),
	}
}
