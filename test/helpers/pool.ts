// The pool world the differential fuzzer deploys is the tests' too; it lives in the library (the
// library never imports test/).
export * from "../../simulator/fuzz/poolWorld";
