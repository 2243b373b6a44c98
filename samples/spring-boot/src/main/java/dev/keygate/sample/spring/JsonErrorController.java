package dev.keygate.sample.spring;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error}, where the servlet container sends what it refuses before Spring MVC sees it (a
 * {@code TRACE}, a request it cannot parse, a failure in a filter): {@code {"detail": ...}} JSON
 * with the status's reason, in place of Spring Boot's error page, which repeats the path.
 */
@RestController
class JsonErrorController implements ErrorController {
  @RequestMapping("/error")
  ResponseEntity<Object> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i && i >= 400 ? i : 500;
    return ErrorReplies.detail(HttpStatusCode.valueOf(status), ErrorReplies.reason(status));
  }
}
