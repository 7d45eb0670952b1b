#!/usr/bin/env node
// Exits 0 when the PostgreSQL of the connection string in argv[2] answers, 1 otherwise.
const { Client } = require('pg');

const client = new Client({
  connectionString: process.argv[2],
  connectionTimeoutMillis: 3000,
});
client
  .connect()
  .then(() => client.query('select 1'))
  .then(() => client.end())
  .then(() => process.exit(0))
  .catch(e => {
    console.error(e.message);
    process.exit(1);
  });
