import { describe, expect, it } from 'vitest';
import { distanceWithin, typoAllowance } from './edit-distance.ts';
import { foldText, identifierKey, nameTokens } from './normalise.ts';

describe('search normalisation', () => {
  it.each([
    ['ИВАНОВ', 'иванов'],
    ['Фёдоров', 'федоров'],
    ['ФЁДОРОВ', 'федоров'],
    ['Зуйкова', 'зуйкова'],
    ['Зуи\u0306кова', 'зуйкова'], // й typed as и + combining breve stays й
    ['Ива\u0301нов', 'иванов'], // a stress mark is dropped
    ['Е\u0308жиков', 'ежиков'],
  ])('folds %j', (text, expected) => {
    expect(foldText(text)).toBe(expected);
  });

  it.each([
    ['Иванов', ['иванов']],
    ['Петрова-Водкина', ['петрова', 'водкина', 'петроваводкина']],
    ['Петрова – Водкина', ['петрова', 'водкина']],
    ["Д'Артаньян", ['дартаньян']],
    ['Мар’яна', ['маряна']],
    ['Али оглы', ['али', 'оглы']],
    ['  ', []],
    ['Анна-Мария', ['анна', 'мария', 'аннамария']],
  ])('tokenises %j', (text, expected) => {
    expect(nameTokens(text)).toEqual(expected);
  });

  it('keeps the digits of an identifier', () => {
    expect(identifierKey('123-456-789 01')).toBe('12345678901');
    expect(identifierKey('ЕП 1234567')).toBe('1234567');
  });
});

describe('typo distance', () => {
  it.each([
    ['иванов', 'иванов', 2, 0],
    ['иваноф', 'иванов', 1, 1],
    ['ивнаов', 'иванов', 1, 1],
    ['смирнва', 'смирнова', 1, 1],
    ['иванова', 'ивановна', 1, 1],
    ['кузминчина', 'кузьминична', 2, 2],
    ['иванов', 'петров', 2, 3],
    ['ли', 'иванов', 1, 2],
  ])('%s → %s within %i is %i', (a, b, max, expected) => {
    expect(distanceWithin(a, b, max)).toBe(expected);
  });

  it.each([
    [3, 0],
    [4, 1],
    [7, 1],
    [8, 2],
    [20, 2],
  ])('allows a word of %i letters %i slips', (length, expected) => {
    expect(typoAllowance(length)).toBe(expected);
  });
});
