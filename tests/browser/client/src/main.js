// The page's script. ?mode=mfe runs the calls the learning and profile MFEs make, as a signed-in
// learner; ?mode=stranger runs credentialed calls from an origin the API does not trust. Each
// step lands in window.results and in the page's table; window.finished is set at the end.
import { LmsClient, send } from './http';

const params = new URLSearchParams(window.location.search);
const lms = params.get('lms');
const username = params.get('username');
const course = params.get('course');
const sequence = params.get('sequence');
const enc = encodeURIComponent;

window.results = [];

function record(step, outcome) {
  window.results.push({ step, ...outcome });
  const row = document.createElement('tr');
  [step, outcome.status ?? '-', outcome.note ?? ''].forEach((text) => {
    const cell = document.createElement('td');
    cell.textContent = String(text);
    row.appendChild(cell);
  });
  document.querySelector('#results tbody').appendChild(row);
}

async function step(name, call, note = () => '') {
  try {
    const answer = await call();
    record(name, { status: answer.status, body: answer.body, note: note(answer) });
    return answer;
  } catch (error) {
    record(name, { error: error.message, note: error.message });
    return null;
  }
}

function photo() {
  // A 640x480 JPEG drawn on a canvas: the kind of file a learner picks in the profile MFE.
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const context = canvas.getContext('2d');
  const gradient = context.createLinearGradient(0, 0, 640, 480);
  gradient.addColorStop(0, '#0b6e4f');
  gradient.addColorStop(1, '#f3c13a');
  context.fillStyle = gradient;
  context.fillRect(0, 0, 640, 480);
  context.fillStyle = '#ffffff';
  context.font = 'bold 96px sans-serif';
  context.fillText('edX', 220, 270);
  return new Promise((resolve) => { canvas.toBlob(resolve, 'image/jpeg', 0.9); });
}

async function showAvatar(url) {
  const image = document.querySelector('#avatar');
  image.src = url;
  await image.decode();
  return image.naturalWidth;
}

async function runMfe() {
  const client = new LmsClient(lms);
  const image = `/api/user/v1/accounts/${username}/image`;
  await step('csrf token', () => send('GET', `${lms}/csrf/api/v1/token`));
  await step('course info', () => client.request('GET', `/api/courseware/course/${enc(course)}`));
  await step('sequence metadata', () => client.request('GET', `/api/courseware/sequence/${enc(sequence)}`));
  await step('resume', () => client.request('GET', `/api/courseware/resume/${enc(course)}`));
  await step('celebration without CSRF token', () => client.request(
    'POST', `/api/courseware/celebration/${enc(course)}`, { json: { first_section: false }, csrf: false },
  ));
  await step('celebration', () => client.request(
    'POST', `/api/courseware/celebration/${enc(course)}`, { json: { first_section: false } },
  ));
  const form = new FormData();
  form.append('file', await photo(), 'photo.jpg');
  await step('profile image upload', () => client.request('POST', image, { form }));
  const account = await step('account after upload', () => client.request('GET', `/api/user/v1/accounts/${username}`),
    ({ body }) => `has_image=${body && body.profile_image && body.profile_image.has_image}`);
  if (account && account.body && account.body.profile_image) {
    const url = account.body.profile_image.image_url_full;
    try {
      window.avatarWidth = await showAvatar(url);
      record('avatar', { status: 200, note: `naturalWidth=${window.avatarWidth}`, url });
    } catch (error) {
      record('avatar', { error: `${url} did not load: ${error.message}` });
    }
  }
  await step('certificates', () => client.request('GET', `/api/certificates/v0/certificates/${username}/`));
  await step('profile image removal', () => client.request('DELETE', image));
  await step('account after removal', () => client.request('GET', `/api/user/v1/accounts/${username}`),
    ({ body }) => `has_image=${body && body.profile_image && body.profile_image.has_image}`);
}

async function runStranger() {
  const client = new LmsClient(lms);
  const account = `${lms}/api/user/v1/accounts/${username}`;
  await step('csrf token', () => send('GET', `${lms}/csrf/api/v1/token`));
  await step('account (preflighted)', () => client.request('GET', `/api/user/v1/accounts/${username}`));
  await step('account (simple request)', () => send('GET', account));
  // A "simple" cross-origin POST needs no preflight: the browser sends it with the cookies, so
  // only the server's CSRF check (untrusted Origin, no token) stands in the way of the write.
  await step('celebration (simple request)', () => send(
    'POST', `${lms}/api/courseware/celebration/${enc(course)}`,
    { headers: { 'Content-Type': 'text/plain' }, body: '{"first_section": true}' },
  ));
}

(params.get('mode') === 'stranger' ? runStranger() : runMfe())
  .catch((error) => record('script', { error: error.message }))
  .finally(() => {
    document.querySelector('#state').textContent = 'finished';
    window.finished = true;
  });
