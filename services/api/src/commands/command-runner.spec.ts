import { create } from '@bufbuild/protobuf';
import { CommandErrorSchema, ErrorKind } from '@lianluo/contracts';
import { httpErrorOfCommand } from './command-runner';

const refusal = (kind: ErrorKind, field = '', message = 'refused') => create(CommandErrorSchema, { kind, field, message });
const answer = (error: ReturnType<typeof httpErrorOfCommand>) => ({ status: error.getStatus(), body: error.getResponse() });

describe("a service's refusal in HTTP's terms", () => {
  it('names the body field of an invalid argument, camelCased', () => {
    expect(answer(httpErrorOfCommand(refusal(ErrorKind.INVALID_ARGUMENT, 'reason_code', 'must not be empty')))).toEqual({
      status: 400,
      body: { error: 'invalid_request', message: 'must not be empty', problems: [{ field: 'body.reasonCode', reason: 'must not be empty' }] },
    });
  });

  it('makes an unknown thing the body named a 400, and an unknown thing the path or token named a 404', () => {
    expect(answer(httpErrorOfCommand(refusal(ErrorKind.NOT_FOUND, 'queue', 'no queue nowhere'))).status).toBe(400);
    expect(answer(httpErrorOfCommand(refusal(ErrorKind.NOT_FOUND, 'contact_id', 'no contact c1')))).toEqual({ status: 404, body: { error: 'not_found', message: 'no contact c1' } });
    expect(answer(httpErrorOfCommand(refusal(ErrorKind.NOT_FOUND))).status).toBe(404);
  });

  it('makes a stale expected version a 412, without the service’s words', () => {
    expect(answer(httpErrorOfCommand(refusal(ErrorKind.FAILED_PRECONDITION, 'expected_version', 'support is not at version x')))).toEqual({
      status: 412,
      body: { error: 'precondition_failed', message: 'the item changed since it was read (If-Match); read it again' },
    });
  });

  it("places each problem of a refused document at its line and column of the document's name", () => {
    const error = create(CommandErrorSchema, {
      kind: ErrorKind.INVALID_ARGUMENT,
      field: 'queues[0].wrap_up_ms',
      message: 'invalid configuration',
      problems: [{ field: 'queues[0].wrapUpMs', reason: 'must not be negative', line: 3, column: 15 }],
    });
    expect(answer(httpErrorOfCommand(error, undefined, 'configuration.yaml'))).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        message: 'configuration.yaml:3:15: queues[0].wrapUpMs must not be negative',
        problems: [{ field: 'queues[0].wrapUpMs', reason: 'must not be negative', line: 3, column: 15, at: 'configuration.yaml:3:15' }],
      },
    });
  });

  it("spells the field as the route's body does when told how", () => {
    const body = answer(httpErrorOfCommand(refusal(ErrorKind.INVALID_ARGUMENT, 'callback.max_attempts'), (field) => field.replace('callback.', 'x.'))).body as { problems: { field: string }[] };
    expect(body.problems[0]!.field).toBe('body.x.max_attempts');
  });

  it('says a state conflict is a 409 and a silent service a 503, and hides internal errors', () => {
    expect(answer(httpErrorOfCommand(refusal(ErrorKind.FAILED_PRECONDITION))).status).toBe(409);
    expect(answer(httpErrorOfCommand(refusal(ErrorKind.DEADLINE_EXCEEDED, '', 'no reply to lianluo.acme.acd.command.x within 5000 ms')))).toEqual({
      status: 503,
      body: { error: 'unavailable', message: 'the service did not answer in time; try again' },
    });
    expect(answer(httpErrorOfCommand(refusal(ErrorKind.INTERNAL, '', 'relation "acd.queue" does not exist')))).toEqual({ status: 500, body: { error: 'internal', message: 'the request could not be completed' } });
  });
});
