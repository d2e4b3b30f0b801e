package search

// IDF is idf, for the browser test.
var IDF = idf
