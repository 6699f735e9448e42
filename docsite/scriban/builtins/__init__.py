"""Scriban's built-in function objects (`string`, `array`, `math`, `date`, `html`, `object`,
`regex`, `timespan`), each a mapping of function names to Builtin."""
