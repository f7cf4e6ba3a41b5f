// axios imports the `form-data` package for multipart bodies in Node. Node 20 has a
// spec-compliant FormData that axios also accepts, so the bundle uses it instead and leaves
// out form-data's MIME database (about 150 KB minified).
export default globalThis.FormData;
