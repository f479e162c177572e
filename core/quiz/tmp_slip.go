package quiz

type Slip struct {
	ID    string
	Value float64
}
