// Smoke check for @algospace/kernel as installed from its tarball: load a config with substitution and an
// environment override, then build a kernel with one component and read its status.
module.exports = (m) => {
  const settings = m.loadConfig({
    text: 'mode: ${MODE:paper}\nmonitoring:\n  port: 0\n',
    schema: m.kernelSettingsSchema,
    env: { ALGOSPACE_LOGGING__LEVEL: 'warn' },
  });
  if (settings.mode !== 'paper' || settings.logging.level !== 'warn' || settings.monitoring.port !== 0) {
    throw new Error(`expected mode paper, level warn, port 0, got ${JSON.stringify(settings)}`);
  }
  try {
    m.loadConfig({ text: 'mode: fast\n', schema: m.kernelSettingsSchema, env: {} });
    throw new Error('expected a ConfigError for mode: fast');
  } catch (error) {
    if (!m.ConfigError.isInstance(error) || error.issues[0].path !== 'mode') throw error;
  }
  const kernel = m.createKernel({ mode: settings.mode, monitoring: false, logger: { level: 'silent' } });
  kernel.register({ name: 'noop', init() {} });
  const status = kernel.status();
  if (status.state !== 'created' || status.components[0].name !== 'noop') {
    throw new Error(`expected a created kernel with component noop, got ${JSON.stringify(status)}`);
  }
  return `${settings.mode} ${status.state} ${status.components.length} component`;
};
