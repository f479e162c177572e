package tui

// text holds the UI's words in each language; lessons carry their own.
var text = map[string]map[string]string{
	"en": {
		"lessons":        "Lessons",
		"log_scale":      "log scale",
		"minimum":        "minimum",
		"minutes":        "%d min",
		"visited":        "visited",
		"new":            "new",
		"exercises":      "exercises %d/%d",
		"running":        "running",
		"ran":            "ran in %s",
		"not_run":        "not run yet — press enter to run",
		"failed":         "failed",
		"exercise":       "Exercise",
		"not_tried":      "not tried",
		"failing":        "not yet",
		"passed":         "passed",
		"passed_before":  "passed earlier",
		"goal":           "goal",
		"pinned":         "pinned %d run(s) · P clears",
		"too_small":      "The terminal is too small (%d×%d). nnlab needs at least %d×%d.",
		"quiz_soon":      "Quiz cells are coming soon.",
		"loading":        "rendering…",
		"lang_name":      "English",
		"lesson_errors":  "%d lesson file(s) could not be loaded; run 'nnlab check' on them",
		"no_lessons":     "No lessons in this language.",
		"cell":           "cell",
		"help_title":     "Keys",
		"help_close":     "press ? or esc to close",
		"progress_steps": "%d/%d",
	},
	"ko": {
		"lessons":        "레슨",
		"log_scale":      "로그 눈금",
		"minimum":        "최소점",
		"minutes":        "%d분",
		"visited":        "읽음",
		"new":            "새 레슨",
		"exercises":      "연습 %d/%d",
		"running":        "실행 중",
		"ran":            "%s 만에 실행",
		"not_run":        "아직 실행하지 않았습니다 — enter로 실행",
		"failed":         "실패",
		"exercise":       "연습 문제",
		"not_tried":      "아직 시도하지 않음",
		"failing":        "아직 못 풀었음",
		"passed":         "통과",
		"passed_before":  "이전에 통과함",
		"goal":           "목표",
		"pinned":         "고정한 실행 %d개 · P로 지우기",
		"too_small":      "터미널이 너무 작습니다 (%d×%d). 최소 %d×%d 이상이어야 합니다.",
		"quiz_soon":      "퀴즈 셀은 곧 추가됩니다.",
		"loading":        "그리는 중…",
		"lang_name":      "한국어",
		"lesson_errors":  "레슨 파일 %d개를 읽지 못했습니다. 'nnlab check'로 확인해 보세요",
		"no_lessons":     "이 언어로 된 레슨이 없습니다.",
		"cell":           "셀",
		"help_title":     "키",
		"help_close":     "? 또는 esc로 닫기",
		"progress_steps": "%d/%d",
	},
}

// T returns the UI word for key in lang (English when missing).
func T(lang, key string) string {
	if s, ok := text[lang][key]; ok {
		return s
	}
	return text["en"][key]
}
