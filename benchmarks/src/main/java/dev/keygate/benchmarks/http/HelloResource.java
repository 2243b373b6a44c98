package dev.keygate.benchmarks.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The tiny endpoint every Jersey variant serves: {@code hello}, as plain text. */
@Path("hello")
public class HelloResource {
  /** The greeting. */
  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public byte[] hello() {
    return HelloServlet.BODY;
  }
}
