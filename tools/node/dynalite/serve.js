// Start dynalite on 127.0.0.1 with an ephemeral port; print the port as one JSON line.
// Usage: node serve.js [--path DIR]   (in memory without --path)
// Why not dynalite's own CLI: it cannot listen on port 0 (it treats 0 as "use 4567").
'use strict'
const argv = require('minimist')(process.argv.slice(2))
const dynalite = require('dynalite')

const server = dynalite({
  path: argv.path,
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n')
})
// Stop when the parent closes stdin (the test session ended or died).
process.stdin.resume()
process.stdin.on('end', () => server.close(() => process.exit(0)))
