import { describeGatewayApi } from './support/api-suite';
import { GatewayUnderTest } from './support/gateway-under-test';

describeGatewayApi('embedded', (dataDir) => GatewayUnderTest.start({ dataDir }));
