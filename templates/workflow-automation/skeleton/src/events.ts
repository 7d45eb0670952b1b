import { z } from 'zod';

/** The webhook payloads this app accepts; anything else is refused with 400. */
export const incidentEvent = z.object({
  type: z.enum(['incident.opened', 'incident.resolved']),
  incident: z.object({
    id: z.string().min(1).max(100),
    title: z.string().min(1).max(300),
    severity: z.enum(['sev1', 'sev2', 'sev3']),
    url: z.url({ protocol: /^https$/ }).optional(),
  }),
});

export type IncidentEvent = z.infer<typeof incidentEvent>;

export const incidentList = z.object({
  items: z.array(incidentEvent.shape.incident),
});

export type Incident = IncidentEvent['incident'];

export function describeEvent(event: IncidentEvent): string {
  const { incident } = event;
  const verb = event.type === 'incident.opened' ? 'opened' : 'resolved';
  const link = incident.url ? ` ${incident.url}` : '';
  return `Incident ${incident.id} (${incident.severity}) ${verb}: ${incident.title}${link}`;
}
