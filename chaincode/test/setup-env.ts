// fabric-contract-api logs every decorator at info level unless told otherwise, as a peer would.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
