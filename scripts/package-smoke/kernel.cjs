// Smoke check for @algospace/kernel as installed from its tarball.
module.exports = (m) => {
  const text = m.substituteVariables('port: ${PORT:9090}', {});
  if (text !== 'port: 9090') throw new Error(`expected 'port: 9090', got '${text}'`);
  return text;
};
