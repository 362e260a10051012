import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zh } from './zh';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

/** 中文 by default, English on request; both bundled (a few KB), so switching needs no request. */
void i18next.use(initReactI18next).init({
  lng: 'zh',
  fallbackLng: 'en',
  resources: { zh: { translation: zh }, en: { translation: en } },
  interpolation: { escapeValue: false },
});
