// Requests the way an MFE's authenticated HTTP client sends them to the LMS: XMLHttpRequest with
// withCredentials (the browser attaches the LMS's cookies), the USE-JWT-COOKIE header, and on
// writes an X-CSRFToken fetched once per API origin from GET /csrf/api/v1/token.

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function parse(xhr) {
  const type = xhr.getResponseHeader('Content-Type') || '';
  if (!xhr.responseText) return null;
  return type.includes('json') ? JSON.parse(xhr.responseText) : xhr.responseText;
}

// Resolves with {status, body}; rejects when the browser hands the page no answer at all, which is
// what CORS does to a credentialed request from an origin the API does not allow.
export function send(method, url, { headers = {}, body = null, withCredentials = true } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = withCredentials;
    Object.entries(headers).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    xhr.onload = () => resolve({ status: xhr.status, body: parse(xhr) });
    xhr.onerror = () => reject(new Error(`no answer reached the page for ${method} ${url}`));
    xhr.send(body);
  });
}

export class LmsClient {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.csrfToken = null;
  }

  async getCsrfToken() {
    if (this.csrfToken === null) {
      const { status, body } = await send('GET', `${this.baseUrl}/csrf/api/v1/token`);
      if (status !== 200) throw new Error(`CSRF token endpoint answered ${status}`);
      this.csrfToken = body.csrfToken;
    }
    return this.csrfToken;
  }

  // `csrf: false` leaves the token out of a write, to show that the API refuses it.
  async request(method, path, { json, form, csrf = true } = {}) {
    const headers = { 'USE-JWT-COOKIE': 'true' };
    let body = null;
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form !== undefined) {
      body = form; // the browser writes the multipart boundary itself
    }
    if (WRITES.has(method) && csrf) headers['X-CSRFToken'] = await this.getCsrfToken();
    return send(method, `${this.baseUrl}${path}`, { headers, body });
  }
}
