import type { Client } from './client.js';
import { callEndpoint, type Endpoint } from './errors.js';
import { MAX_NOTIFIED_PEOPLE } from '../report/weekly.js';

const GET_TEAM: Endpoint = {
  route: 'GET /orgs/{org}/teams/{team_slug}',
  permission: 'members: read (organization)',
  notFound: 'the team does not exist or the token cannot see it',
};

/**
 * How many people a mention of `@org/team` would notify (the team's `members_count`), or undefined when
 * the token may not read the team: the workflow's GITHUB_TOKEN never can, so teams count as unknown there.
 */
export async function teamSize(client: Client, org: string, slug: string): Promise<number | undefined> {
  try {
    const { data } = await callEndpoint(GET_TEAM, () => client.rest.teams.getByName({ org, team_slug: slug }));
    const count = (data as { members_count?: unknown }).members_count;
    return typeof count === 'number' ? count : undefined;
  } catch {
    return undefined;
  }
}

/**
 * People mentioning every owner would notify: one per user, the team's size per team (an upper bound:
 * someone in two teams counts twice). Undefined when any team's size is unknown, which means no mention.
 */
export async function peopleNotified(client: Client, owners: readonly string[]): Promise<number | undefined> {
  let total = 0;
  for (const owner of owners) {
    const team = /^@([^/]+)\/(.+)$/.exec(owner);
    if (team === null) {
      total += 1;
      continue;
    }
    const size = await teamSize(client, team[1] ?? '', team[2] ?? '');
    if (size === undefined) return undefined;
    total += size;
    // Past the limit the answer is known: no need to ask about the other teams.
    if (total > MAX_NOTIFIED_PEOPLE) return total;
  }
  return total;
}
