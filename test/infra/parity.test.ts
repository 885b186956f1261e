// Every route and schedule of the deployed stack is served by the local stack, and the other way round.
import { findRoute, routes } from '../../lambdas/routes';
import { nextRun, startScheduleTimers } from '../../dev/schedule-timers';
import { schedules, type ScheduledRun } from '../../lambdas/schedules';
import { functionFor, synthAppStack } from './app-stack.fixture';

const { template } = synthAppStack();

/** `METHOD /path` of every API Gateway method, the path rebuilt from the resource tree. */
function deployedRoutes(): string[] {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (resourceId: unknown): string => {
    if (JSON.stringify(resourceId).includes('RootResourceId')) return '';
    const resource = resources[(resourceId as { Ref: string }).Ref]!;
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  return Object.values(template.findResources('AWS::ApiGateway::Method')).map(
    (method) => `${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId) || '/'}`,
  );
}

describe('routes', () => {
  it('are the same in API Gateway as in the route table the local gateway dispatches with, HEAD beside each GET', () => {
    const deployed = deployedRoutes();
    const heads = routes.filter((route) => route.method === 'GET').map((route) => `HEAD ${route.path}`);
    expect(deployed.sort()).toEqual([...routes.map((route) => `${route.method} ${route.path}`), ...heads].sort());
    for (const entry of deployed) {
      const [method, path] = entry.split(' ') as [string, string];
      // The local gateway answers HEAD with the GET route, as the api function does behind API Gateway.
      expect({ entry, local: findRoute(method === 'HEAD' ? 'GET' : method, path) !== undefined }).toEqual({ entry, local: true });
    }
  });

  it('answer HEAD / in API Gateway: a HEAD method on the root resource, through the api function', () => {
    const [apiId] = functionFor(template, 'api');
    const rootHead = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'HEAD' } })).filter((method) =>
      JSON.stringify(method.Properties.ResourceId).includes('RootResourceId'),
    );
    expect(rootHead).toHaveLength(1);
    expect(rootHead[0]!.Properties).toMatchObject({ AuthorizationType: 'NONE', Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' } });
    expect(JSON.stringify(rootHead[0]!.Properties.Integration.Uri)).toContain(`"${apiId}"`);
  });

  it('all go to the api function through the Lambda proxy integration', () => {
    const [apiId] = functionFor(template, 'api');
    for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(`"${apiId}"`);
    }
  });
});

describe('schedules', () => {
  it('are the same in the template as in lambdas/schedules.ts', () => {
    const deployed = Object.entries(template.findResources('AWS::Scheduler::Schedule')).map(([id, schedule]) => {
      const fnId = schedule.Properties.Target.Arn['Fn::GetAtt'][0] as string;
      const handler = template.toJSON().Resources[fnId].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME as string;
      return { id, expression: schedule.Properties.ScheduleExpression as string, handler };
    });
    expect(deployed).toHaveLength(schedules.length);
    for (const run of schedules) {
      const match = deployed.filter((d) => d.id.startsWith(`Schedules${run.name}`));
      expect(match).toEqual([{ id: expect.any(String), expression: `cron(${run.cron.minute} ${run.cron.hour} * * ? *)`, handler: run.handler }]);
    }
  });

  describe('on the local stack', () => {
    afterEach(() => jest.useRealTimers());

    it('fire each handler at the table’s times and only then', () => {
      jest.useFakeTimers({ now: new Date('2026-03-29T20:10:00Z') });
      const fired: Array<{ handler: ScheduledRun['handler']; at: string }> = [];
      const record = (handler: ScheduledRun['handler']) => () => fired.push({ handler, at: new Date().toISOString() });
      const stop = startScheduleTimers({ 'fetch-papers': record('fetch-papers'), 'plan-digests': record('plan-digests') });
      jest.advanceTimersByTime(3 * 60 * 60 * 1000);
      stop();
      jest.advanceTimersByTime(24 * 60 * 60 * 1000);
      expect(fired).toEqual([
        { handler: 'plan-digests', at: '2026-03-29T21:00:00.000Z' },
        { handler: 'fetch-papers', at: '2026-03-29T21:30:00.000Z' },
        { handler: 'plan-digests', at: '2026-03-29T22:00:00.000Z' },
        { handler: 'plan-digests', at: '2026-03-29T23:00:00.000Z' },
      ]);
    });

    it('compute the next run from the cron fields, across midnight', () => {
      const fetch = schedules.find((run) => run.handler === 'fetch-papers')!;
      expect(nextRun(fetch.cron, new Date('2026-10-25T21:30:00Z')).toISOString()).toBe('2026-10-26T21:30:00.000Z');
      expect(nextRun({ minute: '0', hour: '*' }, new Date('2026-12-31T23:59:30Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
      expect(() => nextRun({ minute: '75', hour: '*' }, new Date())).toThrow(/never fires/);
    });
  });
});
