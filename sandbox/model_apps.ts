/**
 * Record types of Taiga's external applications (taiga-back `taiga/external_apps/models.py`),
 * re-exported by `model.ts`.
 *
 * @module
 */

/** An Application a Taiga admin registered (Django admin); its id is a uuid4 string. */
export interface Application {
  id: string;
  name: string;
  icon_url: string | null;
  web: string | null;
  description: string | null;
  /** Where taiga-front sends the user after authorizing, with `?auth_code=<code>` appended. */
  next_url: string;
}

/** The one token row of a (user, application) pair. */
export interface ApplicationToken {
  id: number;
  user: number;
  /** The Application's id. */
  application: string;
  /** A uuid4 set by authorize, cleared by validate; null otherwise. */
  auth_code: string | null;
  /** Set by the first validate and kept from then on; null before. */
  token: string | null;
  /** The client's anti-CSRF value, stored as Django stores a CharField (see `external_apps.ts`). */
  state: string | null;
}
