package dev.keygate.docs.testkit;

/**
 * The store test that testkit/README.md shows, run: every case of the contract on the JDBC store
 * over H2, the outage case included (it lives under src/main so that the README check reads it).
 */
class TestkitReadmeTest extends JdbcStoreOnH2Test {}
