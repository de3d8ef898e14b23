import './app.css';
import FHIR from 'fhirclient';
import { launchScope } from '../smart-scopes';
import type { SmartAppSettings } from '../smart-app-settings';
import { byId, fetchJson, h, replaceChildren } from './dom';

/**
 * `/smart/launch`: starts SMART App Launch. With `iss` and `launch` (an EHR launch, e.g. from
 * the STELLAR card) it goes straight to the authorization server; with `iss` alone it is a
 * standalone launch (the server's patient picker chooses the patient); with neither it asks
 * for the FHIR server.
 */
async function main(): Promise<void> {
  const status = byId('launch-status');
  const params = new URLSearchParams(location.search);
  const iss = params.get('iss');
  const launch = params.get('launch');
  if (!iss) {
    showStandaloneForm();
    return;
  }
  let settings: SmartAppSettings;
  try {
    settings = await fetchJson<SmartAppSettings>('settings.json');
  } catch {
    showError('The worksheet’s settings could not be loaded from its server. Reload the page.');
    return;
  }
  replaceChildren(status, launch ? 'Signing in with the EHR…' : 'Opening the sign-in page…');
  try {
    await FHIR.oauth2.authorize({
      clientId: settings.clientId,
      scope: launchScope(settings.scope, launch ? 'ehr' : 'standalone'),
      redirectUri: 'app',
      iss,
      ...(launch ? { launch } : {}),
      pkceMode: 'ifSupported',
    });
  } catch (error) {
    showError(
      `The EHR at ${hostOf(iss)} could not start the sign-in: ${(error as Error).message}. ` +
        'Check that the FHIR server offers SMART App Launch (/.well-known/smart-configuration).',
    );
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function showError(message: string): void {
  const status = byId('launch-status');
  status.classList.add('error');
  replaceChildren(status, h('strong', {}, 'The worksheet could not be opened. '), message);
  byId('launch-spinner').hidden = true;
}

function showStandaloneForm(): void {
  byId('launch-spinner').hidden = true;
  replaceChildren(
    byId('launch-status'),
    'Standalone launch: sign in to your EHR and choose a patient.',
  );
  const form = byId<HTMLFormElement>('standalone-form');
  form.hidden = false;
  const input = byId<HTMLInputElement>('iss-input');
  input.focus();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!/^https?:\/\/\S+$/.test(value)) {
      input.setAttribute('aria-invalid', 'true');
      byId('iss-error').hidden = false;
      input.focus();
      return;
    }
    location.search = `?${new URLSearchParams({ iss: value }).toString()}`;
  });
}

void main();
