package dev.ku0.sandbox.springai;

/**
 * Marks callbacks and providers whose calls are already checked: the guard does not wrap them
 * again, so an {@code ask} reaches the approval handler once and an event is audited once.
 */
interface AlreadySandboxed {}
