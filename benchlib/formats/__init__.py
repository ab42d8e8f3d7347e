"""Every file the suite writes, each as one typed definition that writes it and reads it back.

`records`: what a benchmark keeps in a pytest-benchmark run (extra_info, machine_info);
`benchmark_run`: a pytest-benchmark run file with those records; `e2e_run`: a run of
`python -m benchtools e2e`. The definitions are msgspec Structs: decoding checks every type
and range and names the JSON path of the first field that is wrong, and a format version
says which layout a file has.
"""
