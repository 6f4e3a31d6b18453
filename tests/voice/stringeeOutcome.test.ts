import { describe, expect, it } from "vitest";
import { stringeeOutcome } from "../../src/channels/voice/stringee/placeStringeeCall.ts";
import { stringeeCallEvent } from "../../src/channels/voice/stringee/parseStringeeRequest.ts";

// Stringee's call events as its documentation shows them (developer.stringee.com/docs/server/call-events):
// an unanswered call also ends with call_status "ended"; answerDuration and endCallCause tell them apart.
const ended = (endCallCause: string, answerDuration: number) =>
  stringeeOutcome(stringeeCallEvent({ call_status: "ended", call_id: "call-vn-1-X", type: "stringee_call", endCallCause, endedBy: "EXTERNAL", duration: 9, answerDuration })!);

describe("Stringee: how a reminder call ended", () => {
  it("answered: the answered event, or an end with time spent answered", () => {
    expect(stringeeOutcome(stringeeCallEvent({ call_status: "answered", call_id: "c" })!)).toBe("answered");
    expect(ended("200 OK", 20)).toBe("answered");
  });

  it("an end without answering is busy, not answered or failed, by its SIP cause", () => {
    expect(ended("486 Busy Here", 0)).toBe("busy");
    expect(ended("480 Temporarily Unavailable", 0)).toBe("no_answer");
    expect(ended("487 Request Terminated", 0)).toBe("no_answer");
    expect(ended("408 Request Timeout", 0)).toBe("no_answer");
    expect(ended("", 0)).toBe("no_answer");
    expect(ended("404 Not Found", 0)).toBe("failed");
    expect(ended("503 Service Unavailable", 0)).toBe("failed");
  });

  it("events before the end change nothing", () => {
    for (const callStatus of ["created", "started", "ringing", "agentEnded"]) {
      expect(stringeeOutcome(stringeeCallEvent({ call_status: callStatus, call_id: "c" })!)).toBeNull();
    }
  });
});
