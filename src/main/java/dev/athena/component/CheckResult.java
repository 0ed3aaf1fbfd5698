package dev.athena.component;

/** One check of a component: what was checked, whether it held, and what was found. */
public record CheckResult(String name, boolean passed, String detail) {
}
