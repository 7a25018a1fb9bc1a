// Stands in for stylesheets imported by modules under test (Jest does not load CSS).
export {};
