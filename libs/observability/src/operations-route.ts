import { SetMetadata } from '@nestjs/common';

/**
 * Metadata of the routes the platform itself calls without a person's token: health probes
 * (kubelet) and metrics (Prometheus). An authenticating guard lets them through; the network
 * keeps them from outside (they are not routed by the Ingress).
 */
export const OPERATIONS_ROUTE = 'lianluo:operations-route';
export const OperationsRoute = () => SetMetadata(OPERATIONS_ROUTE, true);
