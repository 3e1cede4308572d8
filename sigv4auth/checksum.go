package sigv4auth

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"
)

// crc64NVME is the CRC-64/NVME table (reflected polynomial 0x9a6c9329ac4bc9b5); hash/crc64
// inverts before and after, as that variant requires.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// checksums are the flexible checksums S3 accepts (x-amz-checksum-NAME), by lower-case name.
var checksums = map[string]func() hash.Hash{
	"crc32":     func() hash.Hash { return crc32.NewIEEE() },
	"crc32c":    func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) },
	"crc64nvme": func() hash.Hash { return crc64.New(crc64NVME) },
	"sha1":      sha1.New,
	"sha256":    sha256.New,
	"sha512":    sha512.New,
	"md5":       md5.New,
}

// ChecksumHeaderPrefix starts the name of every flexible checksum header.
const ChecksumHeaderPrefix = "x-amz-checksum-"

// Checksum returns the base64 checksum of data that S3's header x-amz-checksum-NAME carries
// (NAME lower case: crc32, crc32c, crc64nvme, sha1, sha256, sha512, md5); ok is false for an
// algorithm this endpoint does not compute.
func Checksum(name string, data []byte) (sum string, ok bool) {
	mk, ok := checksums[strings.ToLower(name)]
	if !ok {
		return "", false
	}
	h := mk()
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), true
}
