// Runs before every test file: the SDK's notice that it will need Node 22 would repeat in every suite on this Node 20 machine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
