/** What the browser app needs to know about its registration (served as `/smart/settings.json`). */
export interface SmartAppSettings {
  clientId: string;
  /** Scopes to request; `launch` / `launch/patient` are chosen per launch. */
  scope: string;
}
