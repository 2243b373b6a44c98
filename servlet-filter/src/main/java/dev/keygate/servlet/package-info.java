/**
 * Keygate as a Jakarta Servlet filter: {@link dev.keygate.servlet.KeygateFilter} asks the core
 * {@link dev.keygate.AuthenticationEngine} about every request and either continues the chain
 * with the caller's principal or writes Keygate's JSON refusal. Per-path scope requirements are
 * {@link dev.keygate.servlet.ScopeRule}s; a {@code web.xml} deployment finds its engine through a
 * {@link dev.keygate.servlet.KeygateEngineFactory}.
 */
@NullMarked
package dev.keygate.servlet;

import org.jspecify.annotations.NullMarked;
