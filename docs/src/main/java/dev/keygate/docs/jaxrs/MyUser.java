package dev.keygate.docs.jaxrs;

import java.util.Set;

/** A user of the application's own tokens. */
public record MyUser(String name, Set<String> scopes) {}
