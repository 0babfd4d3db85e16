// zlib, for compressing the n-gram section of partial files (Shard/Deflate.swift only).
#include <zlib.h>
