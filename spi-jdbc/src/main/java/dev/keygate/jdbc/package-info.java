/**
 * Keygate's key store on JDBC: {@link dev.keygate.jdbc.JdbcApiKeyStore} for PostgreSQL, H2, MySQL
 * and MariaDB, with the schema scripts under {@code dev/keygate/jdbc/schema/}.
 */
@NullMarked
package dev.keygate.jdbc;

import org.jspecify.annotations.NullMarked;
