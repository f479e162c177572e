package assets

import "embed"

// FashionMNIST holds the embedded subset of Fashion-MNIST (Xiao, Rasul &
// Vollgraf 2017, © Zalando SE, MIT licence): the first 3,000 training and
// the first 1,000 test images with their labels, as gzip-compressed IDX
// files under their original names in fashion-mnist/
// (fashion-mnist/make_subset.py writes them from Debian's
// dataset-fashion-mnist). Image i of a subset is image i of the full file.
//
//go:embed fashion-mnist/*.gz
var FashionMNIST embed.FS

// FashionMNISTDir is the directory of FashionMNIST that holds the files.
const FashionMNISTDir = "fashion-mnist"
