// What @fusionauth/typescript-client rejects with (a ClientResponse, not an Error), for the sandbox
// IdP tests that check FusionAuth's error shapes through the real client.

export interface Failure {
  statusCode: number | undefined;
  exception:
    | {
        fieldErrors?: Record<string, Array<{ code: string; message: string }>>;
        generalErrors?: Array<{ code: string; message: string }>;
      }
    | undefined;
}

/** The ClientResponse a FusionAuth client call rejected with; throws if the call succeeded. */
export async function failure(call: Promise<unknown>): Promise<Failure> {
  try {
    await call;
  } catch (rejection) {
    return rejection as Failure;
  }
  throw new Error('the call succeeded');
}
