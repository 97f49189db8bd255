/** Valid BSNs for tests: random 8 digits plus the check digit that passes the elfproef. */
export function randomBsn(): string {
  for (;;) {
    const digits = Array.from({ length: 8 }, () => Math.floor(Math.random() * 10));
    const sum = digits.reduce((s, d, i) => s + (9 - i) * d, 0);
    const check = sum % 11;
    if (check > 9) continue;
    const bsn = [...digits, check].join('');
    if (/^(\d)\1{8}$/.test(bsn)) continue;
    return bsn;
  }
}
