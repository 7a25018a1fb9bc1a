// An end-to-end test runs whole processes (each `jobmon` command a Node process of its own): on a loaded
// machine a test of a few dozen commands outlasts Jest's default minute without being stuck. The timeout
// is there to end a hung test, not to time a working one.
jest.setTimeout(240_000);
