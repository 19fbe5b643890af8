// Registering an existing user for the application (Next Steps: "ensure that the user is registered").
// Users are never created here: a person with an account in the tenant is registered, idempotently.
import { UserError } from '../errors';
import { ANSWERS } from './answers';
import type { FusionAuthApi } from './client';
import { FusionAuthError } from './errors';

export type Registered = 'registered' | 'already';

export async function registerByEmail(api: FusionAuthApi, email: string, applicationId: string): Promise<Registered> {
  let userId: string | undefined;
  try {
    userId = (
      await api.call(
        { action: 'looking up the user', method: 'GET', endpoint: '/api/user' },
        (c) => c.retrieveUserByEmail(email),
        { answer: ANSWERS.user },
      )
    ).user?.id;
  } catch (error) {
    if (!(error instanceof FusionAuthError && error.status === 404)) throw error;
  }
  if (!userId) {
    throw new UserError(`FusionAuth has no user with the email ${email} in this tenant.`, {
      hint: 'Create the user in FusionAuth (Users → Add) first, or leave the email empty.',
    });
  }
  const id = userId;
  try {
    await api.call(
      { action: "reading the user's registration", method: 'GET', endpoint: '/api/user/registration' },
      (c) => c.retrieveRegistration(id, applicationId),
      { answer: ANSWERS.unread },
    );
    return 'already';
  } catch (error) {
    if (!(error instanceof FusionAuthError && error.status === 404)) throw error;
  }
  try {
    await api.call(
      { action: 'registering the user for the application', method: 'POST', endpoint: '/api/user/registration' },
      (c) => c.register(id, { registration: { applicationId } }),
      { answer: ANSWERS.unread },
    );
  } catch (error) {
    // A retried POST whose first attempt landed: the registration is there.
    if (error instanceof FusionAuthError && error.codes.some((code) => code.startsWith('[duplicate]registration')))
      return 'already';
    throw error;
  }
  return 'registered';
}
