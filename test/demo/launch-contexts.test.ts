import { grantScopes, hasScope } from '../../src/demo/auth/grants';
import { LaunchContextStore } from '../../src/demo/auth/launch-contexts';
import { escapeHtml, renderPickerPage } from '../../src/demo/auth/picker-page';

describe('LaunchContextStore', () => {
  it('hands a registered context out once', () => {
    const store = new LaunchContextStore();
    const id = store.register({ patient: 'p1', appContext: '{"card":"c"}' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(store.take(id)).toEqual({ patient: 'p1', appContext: '{"card":"c"}' });
    expect(store.take(id)).toBeUndefined();
    expect(store.take('never-registered')).toBeUndefined();
  });

  it('forgets a context after its time', () => {
    let now = 1_000;
    const store = new LaunchContextStore({ ttlMs: 100, now: () => now });
    const id = store.register({ patient: 'p1' });
    now += 101;
    expect(store.take(id)).toBeUndefined();
  });
});

describe('grantScopes', () => {
  const client = {
    clientId: 'app',
    name: 'App',
    redirectUris: ['http://app/cb'],
    allowedScopes: ['openid', 'fhirUser', 'patient/Observation.read'],
  };

  it('grants what was asked and allowed, and the launch scopes', () => {
    expect(
      grantScopes('launch openid patient/Observation.read patient/ServiceRequest.write', client),
    ).toBe('launch openid patient/Observation.read');
    expect(hasScope('launch openid', 'openid')).toBe(true);
    expect(hasScope('launch openidx', 'openid')).toBe(false);
  });
});

describe('renderPickerPage', () => {
  it('escapes names and carries the authorization request through the form', () => {
    const html = renderPickerPage({
      appName: 'Worksheet',
      userDisplay: 'Dr <b>X</b>',
      patients: [{ id: 'p1', name: 'A "quoted" <name>', details: 'ICU 1' }],
      query: { client_id: 'app', state: 'a"b' },
    });
    expect(html).toContain('A &quot;quoted&quot; &lt;name&gt;');
    expect(html).toContain('Dr &lt;b&gt;X&lt;/b&gt;');
    expect(html).toContain('<input type="hidden" name="state" value="a&quot;b">');
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});
