// The Next Steps header fields against ngrok's own rules (the add-headers / remove-headers pages and
// the edge's Request Headers module page): what ngrok would refuse is refused as typed, with the
// reason; what ngrok takes (adding Host, ten headers in one action) is taken.
import { describe, expect, it } from 'vitest';
import { headerAdds, headerCountProblem, headerNames, extrasFrom } from '../../../src/core/ngrok';

const names = (n: number, prefix = '') => Array.from({ length: n }, (_, i) => `${prefix}X-H${i}`);

describe('header names ngrok refuses', () => {
  it('user-agent, added or removed, either way', () => {
    for (const result of [
      headerAdds('User-Agent=bot'),
      headerAdds('response:user-agent=x'),
      headerNames('user-agent'),
      headerNames('response:User-Agent'),
    ]) {
      expect(result).toEqual({
        ok: false,
        message: expect.stringMatching(/^ngrok does not let you (add|remove) the User-Agent header/i),
      });
    }
  });

  it('ngrok-skip-browser-warning added', () => {
    expect(headerAdds('ngrok-skip-browser-warning=1')).toEqual({
      ok: false,
      message: expect.stringContaining('ngrok-skip-browser-warning'),
    });
  });

  it('host removed: adding it is how to change it', () => {
    expect(headerNames('Host')).toEqual({ ok: false, message: expect.stringContaining('add Host=') });
  });
});

describe('what ngrok takes', () => {
  it('Host added: it replaces the Host header the app sees', () => {
    expect(headerAdds('Host=app.internal; X-Site=demo')).toEqual({
      ok: true,
      value: { Host: 'app.internal', 'X-Site': 'demo' },
    });
  });

  it('ten headers each way in one action, not eleven', () => {
    const ten = names(10);
    expect(headerNames([...ten, ...names(10, 'response:')].join('; '))).toEqual({
      ok: true,
      value: [...ten, ...names(10, 'response:')],
    });
    expect(headerNames(names(11).join('; '))).toEqual({
      ok: false,
      message: 'ngrok takes at most 10 headers in one remove-headers action; 11 are given for the request.',
    });
    expect(headerNames(names(11, 'response:').join('; '))).toEqual({
      ok: false,
      message: 'ngrok takes at most 10 headers in one remove-headers action; 11 are given for the response.',
    });
    expect(
      headerAdds(
        names(11)
          .map((h) => `${h}=v`)
          .join('; '),
      ),
    ).toEqual({
      ok: false,
      message: 'ngrok takes at most 10 headers in one add-headers action; 11 are given for the request.',
    });
    expect(
      headerAdds(
        names(10)
          .map((h) => `${h}=v`)
          .join('; '),
      ).ok,
    ).toBe(true);
  });
});

describe("an edge route's header modules take 5 each way", () => {
  it('six to add in edge mode is one too many; the same six are fine in a traffic policy', () => {
    const six = Object.fromEntries(names(6).map((h) => [h, 'v']));
    const extras = extrasFrom({ addHeaders: six });
    expect(headerCountProblem(extras, 'edge')).toBe(
      "An edge route's request headers module takes at most 5 headers to add; 6 are set.",
    );
    expect(headerCountProblem(extras, 'endpoint')).toBeUndefined();
    expect(headerCountProblem(extrasFrom({ removeHeaders: names(6, 'response:') }), 'edge')).toBe(
      "An edge route's response headers module takes at most 5 headers to remove; 6 are set.",
    );
    expect(
      headerCountProblem(
        extrasFrom({ addHeaders: Object.fromEntries(names(5).map((h) => [h, 'v'])), removeHeaders: names(5) }),
        'edge',
      ),
    ).toBeUndefined();
  });
});
