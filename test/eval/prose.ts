/**
 * Credentials written as prose in docs, tickets, chat logs and comments
 * ("ID/PW: …", "user: … pass: …", "the password is …"), and prose about
 * passwords that holds none.
 */
import { benignCase, type EvalCase, secretCase } from './evalCase';
import { Rand, WORDS } from './rand';
import { hostName, password, userName } from './values';

type Form = (r: Rand, u: string, h: string) => [string, string];

const FORMS: Form[] = [
  (_r, u) => [`ID/PW: ${u} / `, ''],
  (_r, u) => [`id/pw : ${u}/`, ''],
  (_r, u) => [`ID: ${u}  PW: `, ''],
  (_r, u) => [`user: ${u} pass: `, ''],
  (_r, u) => [`username: ${u}, password: `, ''],
  (_r, u) => [`Login: ${u} / Password: `, ''],
  (_r, u, h) => [`You can log in to ${h} as ${u}, the password is `, '.'],
  (_r, _u, h) => [`The ${h} admin password is `, ' (rotate after the demo)'],
  (_r) => [`- password is: `, ''],
  (r, u) => [`// ${r.pick(['TODO', 'NOTE', 'FIXME'])}: test account ${u}, pw: `, ''],
  (_r, u, h) => [`# ${h} credentials: ${u} / `, ''],
  (_r, u, h) => [`Server: ${h}\nUser: ${u}\nPassword: `, '\n'],
  (_r, u) => [`credentials: ${u}:`, ''],
  (_r, u, h) => [`ssh ${u}@${h} (pass: `, ')'],
  (r) => [`${r.pick(['Wi-Fi', 'wifi', 'Guest WiFi'])} password: `, ''],
  (_r, u) => [`Use ${u} and password `, ' to sign in.'],
  (_r) => [`PW = `, ''],
  (_r, u) => [`user ${u} pwd `, ''],
];

export function proseCases(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const [before, after] = r.pick(FORMS)(r, userName(r), hostName(r));
    const pw = password(r, ',.;:)|/(');
    const wrap = r.pick(['', '', '> ', '* ', '<!-- ', '  ']);
    const close = wrap === '<!-- ' ? ' -->' : '';
    out.push(secretCase('prose', 'credential written in prose', wrap + before, pw, after + close, r.pick([undefined, 'README.md', 'notes.txt', 'TICKET-123.md', 'wiki.md'])));
  }
  return out;
}

export function proseLookAlikes(r: Rand, n: number): EvalCase[] {
  const forms: (() => [string, string])[] = [
    () => [`The password is stored in ${r.pick(['Vault', '1Password', 'the team vault', 'AWS Secrets Manager'])}; ask ${r.pick(WORDS)} for access.`, 'says where the password is'],
    () => [`ID/PW: see the ${r.pick(['wiki', 'vault', 'password manager'])}`, 'pointer, not a credential'],
    () => [`user: ${userName(r)} pass: <ask ops>`, 'placeholder'],
    () => [`The password is required and must be at least ${r.int(8, 16)} characters long.`, 'password policy text'],
    () => [`Password: ********`, 'masked'],
    () => [`Forgot your password? Click "${r.pick(['Reset', 'Recover'])} password" on the login page.`, 'UI help text'],
    () => [`Set the password with \`hush secrets put ${r.pick(WORDS)}/DB_PASSWORD\`.`, 'instructions'],
    () => [`username: ${userName(r)}, password: (the one from onboarding)`, 'no value'],
    () => [`Login: admin / Password: admin`, 'documented default credentials'],
    () => [`the password is your ${r.pick(['employee id', 'date of birth', 'usual one'])}`, 'no value'],
    () => [`Passwords must contain a digit, a symbol and an upper-case letter.`, 'policy'],
    () => [`Enter the password when prompted: \`mysql -u root -p\``, 'prompted password'],
    () => [`${r.pick(['Token', 'Password', 'Secret'])} rotation happens every ${r.int(30, 90)} days.`, 'policy'],
    () => [`If the token is expired, run \`${r.pick(WORDS)} login\` again.`, 'instructions'],
  ];
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const [text, why] = r.pick(forms)();
    out.push(benignCase('prose-lookalike', 'look-alike', why, text, r.pick([undefined, 'README.md', 'docs/setup.md'])));
  }
  return out;
}
